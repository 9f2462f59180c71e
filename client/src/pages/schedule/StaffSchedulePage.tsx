import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BookingForm } from '../../components/schedule/BookingForm.tsx';
import { ConsultationList } from '../../components/schedule/ConsultationList.tsx';
import { WeekCalendar, type PickedSlot } from '../../components/schedule/WeekCalendar.tsx';
import '../../components/schedule/schedule.css';

/**
 * Where staff spend their day: the week's calendar (pick an empty slot to book there, open a call),
 * the booking form with suggested slots, and the upcoming calls.
 */
export function StaffSchedulePage() {
  const { t } = useTranslation('staff');
  const [picked, setPicked] = useState<PickedSlot | null>(null);
  return (
    <div className="page">
      <h1>{t('schedule.title')}</h1>
      <WeekCalendar onPick={setPicked} />
      <BookingForm preset={picked} onBooked={() => undefined} />
      <ConsultationList title={t('schedule.upcoming')} canCancel />
    </div>
  );
}
